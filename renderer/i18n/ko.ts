export const ko = {
  app: { title: '민원데스크', language: '언어', korean: '한국어', english: 'English' },
  search: {
    label: '표준상담 DB 검색',
    placeholder: '검색어 입력 (예: 누수, ㅈㅁㄷㄹ, 등초본)',
    results: '검색 결과',
    count: '{{count}}건',
    none: '검색 결과가 없습니다',
    searching: '검색 중…',
    failed: '검색할 수 없습니다: {{message}}',
    faq: 'FAQ',
    manual: '매뉴얼',
    detail: '상담 매뉴얼 본문',
    department: '담당 부서: {{department}}',
    close: '닫기',
  },
  phone: {
    label: '전화 상태',
    none: '전화: 계정 정보 없음 (도시 서버 로그인 대기)',
    registering: '전화: 등록 중…',
    registered: '전화: 등록됨 ({{as}})',
    failed: '전화: 등록 실패 — {{reason}}',
    unregistered: '전화: 등록 해제됨',
    panel: '전화',
    number: '전화번호 또는 내선',
    dial: '전화 걸기',
    call: '통화',
    answer: '받기',
    decline: '거절',
    mute: '음소거',
    hold: '보류',
    hangup: '끊기',
    dismiss: '닫기',
    callState: {
      ringing: '수신 전화: {{who}}',
      dialing: '발신 중: {{who}}',
      connected: '통화 중: {{who}}',
      ended: '통화 종료: {{who}}',
    },
  },
  sync: {
    online: '동기화됨 {{time}}',
    syncing: '동기화 중…',
    offline: '오프라인 ({{since}}부터) · 마지막 동기화 {{last}}',
    never: '없음',
    disconnected: '상담 엔진에 연결되지 않음 · 다시 연결하는 중',
  },
} as const;

/** The shape every language must fill: the same keys as Korean, any text. */
type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
export type Messages = Strings<typeof ko>;
