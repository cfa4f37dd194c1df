import type { Messages } from './ko';

/** The knowledge portal's strings, English: the same keys as portal-ko.ts. */
export const portalEn: Messages['portal'] = {
  title: 'Minwon Desk knowledge portal',
};
