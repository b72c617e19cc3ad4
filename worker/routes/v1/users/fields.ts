import { z } from '@hono/zod-openapi';
import { RoleSchema, WorkingHoursSchema } from '../schemas';

const Tag = z.string().trim().min(1).max(40);

/** Fields a user row can be created or patched with. */
export const UserFieldsSchema = z.object({
  name: z.string().trim().min(1).max(120),
  role: RoleSchema,
  territories: z.array(Tag).max(200).openapi({ example: ['787', '78701', 'austin-central'] }),
  skills: z.array(Tag).max(50).openapi({ example: ['seller', 'luxury', 'spanish'] }),
  capacity: z.number().int().min(0).max(1000),
  workingHours: WorkingHoursSchema.nullable(),
  paused: z.boolean(),
});
