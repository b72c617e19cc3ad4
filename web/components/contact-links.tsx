import type { Lead } from '../lib/api/types';
import { ChatIcon, PhoneIcon } from './icons';
import { cx } from './ui';

const linkClass =
  'inline-flex min-h-11 flex-1 items-center justify-center gap-1.5 rounded-lg border border-slate-300 bg-white px-3 text-sm font-semibold text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500';

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
        <span className={cx(linkClass, 'cursor-not-allowed text-slate-500', className)} aria-disabled title="No phone number">
          <PhoneIcon className="h-4 w-4" /> Call
        </span>
      )}
      {lead?.phone && !blocked ? (
        <a href={`sms:${lead.phone}`} className={cx(linkClass, className)}>
          <ChatIcon className="h-4 w-4" /> Text
        </a>
      ) : (
        <span className={cx(linkClass, 'cursor-not-allowed text-slate-500', className)} title={blocked ? 'This lead opted out of texts' : 'No phone number'} aria-disabled>
          <ChatIcon className="h-4 w-4" /> {blocked ? 'Opted out' : 'Text'}
        </span>
      )}
    </>
  );
}

export const contactLinkClass = linkClass;
