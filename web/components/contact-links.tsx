import type { Lead } from '../lib/api/types';
import { ChatIcon, PhoneIcon } from './icons';
import { cx } from './ui';

/** Shape only; each use adds its colours (Tailwind cannot override a colour set in the same list). */
const linkShape = 'inline-flex min-h-11 flex-1 items-center justify-center gap-1.5 rounded-lg border bg-white px-3 text-sm font-semibold focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500';
const linkClass = `${linkShape} border-slate-300 text-slate-800 hover:bg-slate-50`;
const disabledClass = `${linkShape} cursor-not-allowed border-slate-200 text-slate-500`;

/**
 * Call and text buttons for a lead: `tel:` and `sms:` open the phone's own apps. Text is
 * unavailable (and says why) when the lead opted out or GHL's do-not-disturb is on.
 */
export function ContactLinks({ lead, className }: { lead: Lead | undefined; className?: string }) {
  const blocked = !!lead && (lead.optedOut || lead.dnd);
  return (
    <>
      {lead?.phone ? (
        <a href={`tel:${lead.phone}`} className={cx(linkClass, className)}>
          <PhoneIcon className="h-4 w-4" /> Call
        </a>
      ) : (
        <span className={cx(disabledClass, className)} aria-disabled title="No phone number">
          <PhoneIcon className="h-4 w-4" /> Call
        </span>
      )}
      {lead?.phone && !blocked ? (
        <a href={`sms:${lead.phone}`} className={cx(linkClass, className)}>
          <ChatIcon className="h-4 w-4" /> Text
        </a>
      ) : (
        <span className={cx(disabledClass, className)} title={blocked ? 'This lead opted out of texts' : 'No phone number'} aria-disabled>
          <ChatIcon className="h-4 w-4" /> {blocked ? 'Opted out' : 'Text'}
        </span>
      )}
    </>
  );
}

export const contactLinkShape = linkShape;
