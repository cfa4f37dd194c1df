import { z } from 'zod';
import { sipAccountSchema } from './auth';

/** What the practice phone page is told by its host: its SIP account and the number it calls by default. */
export const practiceConfigSchema = z.strictObject({
  account: sipAccountSchema,
  number: z.string().regex(/^[0-9a-z.*#_-]{1,64}$/i),
});
export type PracticeConfig = z.infer<typeof practiceConfigSchema>;
