import type { PresenceState } from './presence';

/**
 * The Electron shell's own words (tray, dialogs), Korean first and English second, loaded into
 * the shell's i18next instance; the page's words live in renderer/i18n.
 */
export const shellStrings = {
  ko: {
    appName: '민원데스크',
    tray: {
      tooltip: '민원데스크 — {{state}}',
      show: '민원데스크 열기',
      quit: '종료',
      state: {
        ready: '상담 대기 중',
        'not-ready': '상담 불가',
        break: '휴식',
        'on-call': '통화 중',
        'wrap-up': '후처리 중',
        offline: '로그아웃',
      } satisfies Record<PresenceState, string>,
    },
    policyError: {
      title: '민원데스크 설정 오류',
      body: '이 PC의 민원데스크 설정을 읽을 수 없습니다. 정보화 담당 부서에 알려 주세요.\n\n{{detail}}',
    },
    quitDuringCall: '통화 중에는 종료할 수 없습니다. 통화를 끝낸 뒤 다시 시도하세요.',
    unloadDuringCall: {
      message: '통화 중입니다. 화면을 다시 불러오면 통화가 끊깁니다. 작성 중인 상담 기록은 보관됩니다.',
      stay: '통화 계속',
      leave: '통화 끊고 다시 불러오기',
    },
    updateRefused: '업데이트가 검증을 통과하지 못해 설치하지 않았습니다. 정보화 담당 부서에 알려 주세요.',
  },
  en: {
    appName: 'Minwon Desk',
    tray: {
      tooltip: 'Minwon Desk — {{state}}',
      show: 'Open Minwon Desk',
      quit: 'Quit',
      state: {
        ready: 'Ready',
        'not-ready': 'Not ready',
        break: 'On break',
        'on-call': 'On a call',
        'wrap-up': 'Wrap-up',
        offline: 'Signed out',
      } satisfies Record<PresenceState, string>,
    },
    policyError: {
      title: 'Minwon Desk configuration error',
      body: "This PC's Minwon Desk configuration cannot be read. Please tell city IT.\n\n{{detail}}",
    },
    quitDuringCall: 'The desk cannot quit during a call. End the call and try again.',
    unloadDuringCall: {
      message: 'You are on a call. Reloading the desk ends the call. The consultation you are writing is kept.',
      stay: 'Stay on the call',
      leave: 'End the call and reload',
    },
    updateRefused: 'An update failed verification and was not installed. Please tell city IT.',
  },
} as const;
