import { timestamp } from 'drizzle-orm/pg-core';

/** Column groups shared by every table. Times are UTC timestamptz. */
export const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

/** A UTC `timestamptz` column read as a Date. */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
