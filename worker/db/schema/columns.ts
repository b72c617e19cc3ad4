import { timestamp } from 'drizzle-orm/pg-core';

/** Column groups shared by every table. Times are UTC timestamptz. */
export const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};
