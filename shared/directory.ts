import { z } from 'zod';

export const staffSchema = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(50),
  title: z.string().max(50),
  extension: z.string().regex(/^\d{2,8}$/, 'extension: 2-8 digits'),
  duty: z.string().max(200),
});
export type Staff = z.infer<typeof staffSchema>;

/** A department of the transfer directory, with its staff. */
export const departmentSchema = z.strictObject({
  id: z.string().min(1).max(64).regex(/^[a-z0-9-]+$/, 'department id: a-z, 0-9, -'),
  name: z.string().min(1).max(100),
  duties: z.array(z.string().max(100)).max(50),
  phone: z.string().max(20),
  staff: z.array(staffSchema).max(200),
});
export type Department = z.infer<typeof departmentSchema>;
