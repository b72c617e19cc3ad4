'use client';

/**
 * The few building blocks every screen shares: buttons, badges, cards, form fields, the loading /
 * empty / error states, a modal dialog on the native <dialog> (focus trap and Escape for free)
 * and `Explain`, the tap-or-hover definition every figure carries.
 */
import { useCallback, useEffect, useId, useRef, useState, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import type { Resource } from '../lib/use-resource';
import { useDismiss } from '../lib/use-dismiss';

export function cx(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(' ');
}

const focusRing = 'focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'dangerGhost' | 'success';
const VARIANT: Record<Variant, string> = {
  primary: 'bg-indigo-600 text-white shadow-sm hover:bg-indigo-700 disabled:bg-indigo-300',
  secondary: 'border border-slate-300 bg-white text-slate-800 shadow-sm hover:bg-slate-50 disabled:text-slate-400',
  danger: 'border border-red-200 bg-white text-red-700 shadow-sm hover:bg-red-50 disabled:text-red-300',
  // emerald-700, not 600: white on 600 is 3.8:1, below the 4.5:1 normal text needs.
  success: 'bg-emerald-700 text-white shadow-sm hover:bg-emerald-800 disabled:bg-emerald-300',
  ghost: 'text-slate-700 hover:bg-slate-100 disabled:text-slate-400',
  dangerGhost: 'text-red-700 hover:bg-red-50 disabled:text-red-300',
};

export function Button({
  variant = 'secondary',
  size = 'md',
  busy = false,
  className,
  children,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: 'sm' | 'md' | 'lg'; busy?: boolean }) {
  return (
    <button
      type="button"
      {...rest}
      disabled={rest.disabled || busy}
      aria-busy={busy || undefined}
      className={cx(
        'inline-flex items-center justify-center gap-1.5 rounded-lg font-semibold transition-colors disabled:cursor-not-allowed',
        size === 'sm' && 'min-h-9 px-2.5 text-sm',
        size === 'md' && 'min-h-11 px-3.5 text-sm',
        size === 'lg' && 'min-h-12 px-4 text-base',
        VARIANT[variant],
        focusRing,
        className,
      )}
    >
      {busy && <Spinner className="h-4 w-4" />}
      {children}
    </button>
  );
}

export function Spinner({ className = 'h-5 w-5' }: { className?: string }) {
  return <span aria-hidden className={cx('inline-block animate-spin rounded-full border-2 border-current border-r-transparent', className)} />;
}

type Tone = 'slate' | 'red' | 'amber' | 'emerald' | 'indigo' | 'sky' | 'orange';
const TONE: Record<Tone, string> = {
  slate: 'bg-slate-100 text-slate-700',
  red: 'bg-red-100 text-red-800',
  amber: 'bg-amber-100 text-amber-900',
  emerald: 'bg-emerald-100 text-emerald-800',
  indigo: 'bg-indigo-100 text-indigo-800',
  sky: 'bg-sky-100 text-sky-900',
  orange: 'bg-orange-100 text-orange-900',
};

export function Badge({ tone = 'slate', children, className }: { tone?: Tone; children: ReactNode; className?: string }) {
  return <span className={cx('inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-semibold', TONE[tone], className)}>{children}</span>;
}

export const TEMPERATURE_TONE: Record<string, Tone> = { hot: 'red', warm: 'amber', cold: 'sky' };

export function Card({ title, action, children, className, id }: { title?: ReactNode; action?: ReactNode; children: ReactNode; className?: string; id?: string }) {
  return (
    <section aria-labelledby={title && id ? `${id}-title` : undefined} className={cx('min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm', className)}>
      {(title || action) && (
        <div className="mb-3 flex items-center justify-between gap-2">
          {title && (
            <h2 id={id ? `${id}-title` : undefined} className="text-base font-semibold text-slate-900">
              {title}
            </h2>
          )}
          {action}
        </div>
      )}
      {children}
    </section>
  );
}

export function Skeleton({ className }: { className?: string }) {
  return <span aria-hidden className={cx('block animate-pulse rounded bg-slate-200', className)} />;
}

export function Loading({ label = 'Loading…', rows = 3, rowClass = 'h-20' }: { label?: string; rows?: number; rowClass?: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-3">
      <span className="sr-only">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className={cx('w-full rounded-xl', rowClass)} />
      ))}
    </div>
  );
}

export function EmptyState({ title, children, icon = '○' }: { title: string; children?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 bg-white px-4 py-8 text-center">
      <div aria-hidden className="mx-auto mb-2 text-2xl text-slate-400">
        {icon}
      </div>
      <p className="font-semibold text-slate-800">{title}</p>
      {children && <div className="mx-auto mt-1 max-w-md text-sm text-slate-600">{children}</div>}
    </div>
  );
}

export function ErrorState({ error, onRetry, title = 'Could not load this' }: { error: string; onRetry?: () => void; title?: string }) {
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-900">
      <p className="font-semibold">{title}</p>
      <p className="mt-1 break-words">{error}</p>
      {onRetry && (
        <Button size="sm" className="mt-3" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

/**
 * The three states every read has before its content: loading (placeholders the size of what is
 * coming), failed (with a retry) and empty; `children` renders the data otherwise.
 */
export function ResourceView<T>({
  resource,
  isEmpty,
  empty,
  loading,
  children,
}: {
  resource: Resource<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  loading: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (resource.status === 'loading' && resource.data === undefined) return <>{loading}</>;
  if (resource.status === 'error' && resource.data === undefined) return <ErrorState error={resource.error ?? 'Unknown error'} onRetry={() => void resource.reload()} />;
  const data = resource.data as T;
  if (isEmpty?.(data)) return <>{empty}</>;
  return <>{children(data)}</>;
}

export function NotAllowed({ what }: { what: string }) {
  return (
    <div role="alert" data-testid="not-allowed" className="rounded-xl border border-amber-300 bg-amber-50 p-5 text-amber-950">
      <p className="text-lg font-semibold">Not allowed</p>
      <p className="mt-1 text-sm">
        Your role cannot open {what}. Ask an owner or admin of your team if you need it.
      </p>
    </div>
  );
}

/** A failed action's message, right under the control that failed. */
export function InlineError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="mt-2 text-sm font-medium text-red-700">
      {error}
    </p>
  );
}

export function Notice({ tone = 'info', children }: { tone?: 'info' | 'success' | 'error' | 'warning'; children: ReactNode }) {
  const styles = {
    info: 'border-sky-200 bg-sky-50 text-sky-950',
    success: 'border-emerald-200 bg-emerald-50 text-emerald-900',
    error: 'border-red-200 bg-red-50 text-red-900',
    warning: 'border-amber-300 bg-amber-50 text-amber-950',
  }[tone];
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={cx('rounded-lg border p-3 text-sm', styles)}>
      {children}
    </div>
  );
}

// ── form fields ────────────────────────────────────────────────────────────────────────────

const inputClass = cx('block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm placeholder:text-slate-400 sm:text-sm', 'focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 disabled:bg-slate-100');

export function Field({ label, hint, error, children, htmlFor }: { label: ReactNode; hint?: ReactNode; error?: string; children: ReactNode; htmlFor: string }) {
  return (
    <div>
      <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="mt-1">{children}</div>
      {hint && !error && (
        <p id={`${htmlFor}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${htmlFor}-error`} className="mt-1 text-xs font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

export function Input({ invalid, ...props }: InputHTMLAttributes<HTMLInputElement> & { invalid?: boolean }) {
  return <input {...props} aria-invalid={invalid || undefined} className={cx(inputClass, 'min-h-11', invalid && 'border-red-500', props.className)} />;
}

export function Select({ invalid, children, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { invalid?: boolean }) {
  return (
    <select {...props} aria-invalid={invalid || undefined} className={cx(inputClass, 'min-h-11', invalid && 'border-red-500', props.className)}>
      {children}
    </select>
  );
}

export function Textarea(props: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea {...props} className={cx(inputClass, props.className)} />;
}

export function Toggle({ checked, onChange, label, description, id }: { checked: boolean; onChange: (v: boolean) => void; label: string; description?: string; id: string }) {
  return (
    <div className="flex items-start justify-between gap-3">
      <div>
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          {label}
        </label>
        {description && <p className="text-xs text-slate-600">{description}</p>}
      </div>
      <button
        id={id}
        type="button"
        role="switch"
        aria-checked={checked}
        onClick={() => onChange(!checked)}
        className={cx('relative inline-flex h-7 w-12 shrink-0 items-center rounded-full transition-colors', checked ? 'bg-indigo-600' : 'bg-slate-300', focusRing)}
      >
        <span aria-hidden className={cx('inline-block h-5 w-5 rounded-full bg-white shadow transition-transform', checked ? 'translate-x-6' : 'translate-x-1')} />
      </button>
    </div>
  );
}

// ── dialog ─────────────────────────────────────────────────────────────────────────────────

export function Dialog({ open, onClose, title, children, wide = false, dismissable = true }: { open: boolean; onClose: () => void; title: string; children: ReactNode; wide?: boolean; dismissable?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        if (dismissable) onClose();
      }}
      className={cx('m-auto w-[calc(100%-1.5rem)] rounded-2xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50', wide ? 'max-w-2xl' : 'max-w-md')}
    >
      {open && (
        <div className="max-h-[85vh] overflow-y-auto p-5">
          <div className="mb-4 flex items-start justify-between gap-3">
            <h2 id={titleId} className="text-lg font-semibold">
              {title}
            </h2>
            {dismissable && (
              <button type="button" onClick={onClose} aria-label="Close" className={cx('-m-1 rounded-md p-1 text-slate-500 hover:bg-slate-100', focusRing)}>
                ✕
              </button>
            )}
          </div>
          {children}
        </div>
      )}
    </dialog>
  );
}

// ── Explain: every figure says what it means ───────────────────────────────────────────────

/**
 * A small "?" that shows a definition on hover, on keyboard focus and on tap (phones have no
 * hover). The text is also wired as the trigger's accessible description.
 */
export function Explain({ children, label = 'What this means' }: { children: ReactNode; label?: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const wrap = useRef<HTMLSpanElement>(null);
  useDismiss(wrap, open, useCallback(() => setOpen(false), []));
  return (
    <span ref={wrap} className="relative inline-flex align-middle" onMouseEnter={() => setOpen(true)} onMouseLeave={() => setOpen(false)}>
      <button
        type="button"
        aria-label={label}
        aria-describedby={id}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        className={cx('inline-flex h-5 w-5 items-center justify-center rounded-full border border-slate-300 text-[11px] font-bold text-slate-600 hover:bg-slate-100', focusRing)}
      >
        ?
      </button>
      <span
        id={id}
        role="tooltip"
        className={cx(
          'absolute left-1/2 top-full z-30 mt-1.5 w-64 max-w-[80vw] -translate-x-1/2 rounded-lg bg-slate-900 px-3 py-2 text-left text-xs font-normal leading-relaxed text-white shadow-lg',
          open ? 'block' : 'hidden',
        )}
      >
        {children}
      </span>
    </span>
  );
}

export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="mb-4 flex flex-wrap items-end justify-between gap-3">
      <div className="min-w-0">
        <h1 className="text-xl font-bold tracking-tight text-slate-900 sm:text-2xl">{title}</h1>
        {subtitle && <p className="mt-0.5 text-sm text-slate-600">{subtitle}</p>}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </header>
  );
}

/** A choice of views (toggle buttons: the panes are plain regions, not an ARIA tab set). */
export function Segmented<T extends string>({ value, onChange, options, label }: { value: T; onChange: (v: T) => void; options: Array<{ value: T; label: ReactNode }>; label: string }) {
  return (
    <div role="group" aria-label={label} className="inline-flex w-full rounded-lg bg-slate-200/70 p-1 sm:w-auto">
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={value === o.value}
          onClick={() => onChange(o.value)}
          className={cx('flex min-h-9 flex-1 items-center justify-center gap-1.5 rounded-md px-3 text-sm font-semibold sm:flex-none', value === o.value ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-700 hover:text-slate-900', focusRing)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
