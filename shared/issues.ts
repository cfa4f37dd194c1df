/** The shape of a validation failure (zod's), as far as messages need it. */
export interface Issues {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}

/**
 * One line naming each problem by its path: `endedAt: endedAt is before startedAt; outcome: …`.
 * `whole` names a problem with the value itself; `limit` keeps a long list short.
 */
export function describeIssues(error: Issues, whole = '(root)', limit = Infinity): string {
  return error.issues
    .slice(0, limit)
    .map((i) => `${i.path.map(String).join('.') || whole}: ${i.message}`)
    .join('; ');
}
