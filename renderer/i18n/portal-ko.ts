/** The knowledge portal's strings (renderer/portal/), Korean: part of the one i18n layer under `portal.`. */
export const portalKo = {
  title: '민원데스크 지식 포털',
} as const;
