import type { AppUpdater } from 'electron-updater';
import type { UpdaterPort } from '../core/update/update-flow';

/**
 * electron-updater under the update flow's control: it reads the feed IT configured (not the
 * build's app-update.yml), never downloads or installs on its own, and never downgrades.
 */
export function electronUpdaterPort(updater: AppUpdater, feedUrl: string): UpdaterPort {
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = false;
  updater.allowPrerelease = false;
  updater.setFeedURL({ provider: 'generic', url: feedUrl });
  return {
    async check() {
      const result = await updater.checkForUpdates();
      return result?.isUpdateAvailable ? result.updateInfo : null;
    },
    download: () => updater.downloadUpdate(),
    install: () => updater.quitAndInstall(false, true),
  };
}
