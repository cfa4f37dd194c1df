import type { Messages } from './ko';

export const en: Messages = {
  app: { title: 'Minwon Desk', language: 'Language', korean: '한국어', english: 'English' },
  search: {
    label: 'Search the consultation DB',
    placeholder: 'Type a search (e.g. 누수, ㅈㅁㄷㄹ, 등초본)',
    results: 'Search results',
    count: '{{count}} found',
    none: 'No results',
    searching: 'Searching…',
    failed: 'Search failed: {{message}}',
    faq: 'FAQ',
    manual: 'Manual',
    detail: 'Manual entry',
    department: 'Department: {{department}}',
    close: 'Close',
  },
  phone: {
    label: 'Phone status',
    none: 'Phone: no account yet (waiting for the city server login)',
    registering: 'Phone: registering…',
    registered: 'Phone: registered ({{as}})',
    failed: 'Phone: registration failed — {{reason}}',
    unregistered: 'Phone: unregistered',
  },
  sync: {
    online: 'Synced {{time}}',
    syncing: 'Syncing…',
    offline: 'Offline since {{since}} · last synced {{last}}',
    never: 'never',
    disconnected: 'Not connected to the desk engine · reconnecting',
  },
};
