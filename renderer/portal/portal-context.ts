import { createContext, useContext } from 'react';
import type { PortalApi } from './api';
import type { Route } from './route';
import type { Me } from './schemas';
import type { PortalSession } from './session-store';

export interface PortalContextValue {
  session: PortalSession;
  api: PortalApi;
  me: Me;
  /** Goes to `route`; `notice` is said on the next screen (what was just done); `replace` keeps the back button off a page that no longer applies. */
  navigate(route: Route, o?: { notice?: string; replace?: boolean }): void;
}

export const PortalContext = createContext<PortalContextValue | null>(null);

export function usePortal(): PortalContextValue {
  const value = useContext(PortalContext);
  if (!value) throw new Error('usePortal outside the portal');
  return value;
}

/** A department's name as the directory has it (its id when the directory does not know it). */
export const departmentName = (me: Me, id: string | null): string => (id === null ? '' : (me.departments.find((d) => d.id === id)?.name ?? id));

/** Who may write drafts (and send them to review), verify and name owners for `department`: its editors, and reviewers for every department. */
export const writesFor = (me: Me, department: string | null): boolean => me.user.role === 'reviewer' || (me.user.role === 'editor' && me.user.department === department);

