/**
 * The SIP header the city's PBX sets on a call it hands to a desk: the caller's choice in the
 * IVR menu ("상수도는 1번…"), one of the `IVR_MENU` ids, so the screen-pop can suggest entries
 * before the agent answers.
 */
export const IVR_HEADER = 'X-Minwon-IVR';

/** What an IVR menu id looks like on the wire (lower-case, short): anything else is ignored. */
export const IVR_CHOICE = /^[a-z0-9-]{1,32}$/;

/**
 * The IVR menu's choices and the manual categories (`name/sub`) each one is about, as category
 * prefixes. The complaint line takes the reports the city files as 민원: environment and roads,
 * plus the report categories of transport and tourism.
 */
export const IVR_MENU = {
  water: ['상수도/'],
  traffic: ['교통/'],
  resident: ['주민등록/'],
  passport: ['여권/'],
  tax: ['지방세/'],
  welfare: ['복지/'],
  jobs: ['일자리/'],
  tourism: ['관광/'],
  complaint: ['환경/', '도로/', '교통/버스신고', '교통/택시신고', '관광/관광 불편'],
} as const satisfies Record<string, readonly string[]>;

export type IvrMenuId = keyof typeof IVR_MENU;

/** The category prefixes of an IVR choice; none for an unknown one (a PBX menu newer than the desk). */
export function ivrCategoryPrefixes(choice: string | null | undefined): readonly string[] {
  // hasOwn: a choice such as "constructor" must not reach Object.prototype.
  return choice && Object.hasOwn(IVR_MENU, choice) ? IVR_MENU[choice as IvrMenuId] : [];
}
