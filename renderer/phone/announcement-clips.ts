import type { Announcement } from '../../shared/recording';
import abuseWarning from '../../resources/audio/abuse-warning.ko.wav?url';
import recordingNotice from '../../resources/audio/recording-notice.ko.wav?url';

/**
 * The announcements as the built renderer serves them (same origin: the pages' CSP allows
 * `connect-src 'self'`). The files are resources/audio/*.wav (tools/gen-announcements.sh); a city
 * replaces them with studio recordings of the same names before building.
 */
export const ANNOUNCEMENT_URLS: Readonly<Record<Announcement, string>> = {
  'abuse-warning': abuseWarning,
  'recording-notice': recordingNotice,
};
