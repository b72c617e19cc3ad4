'use client';

/**
 * The agent's coaching, at the foot of their inbox: the next best actions from their own
 * conversations (GET /v1/coaching/agents/:id — Claude's when a key is set, rule-based otherwise,
 * and it says which) beside the few figures they are about.
 */
import { useState } from 'react';
import { Badge, Button, Card, Explain } from '../../components/ui';
import { duration, percent } from '../../lib/format';
import { session } from '../../lib/session';
import { useResource } from '../../lib/use-resource';

export function Coaching({ userId }: { userId: string }) {
  const [open, setOpen] = useState(false);
  const report = useResource(async () => (open ? session().api.get('/coaching/agents/{id}', { path: { id: userId } }) : null), [open, userId]);
  const r = report.data;
  return (
    <Card
      id="coaching"
      title={
        <span className="inline-flex items-center gap-2">
          Your coaching
          <Explain>Figures from your own conversations over the period shown, compared with the team; the actions follow from them.</Explain>
        </span>
      }
      action={
        <Button size="sm" variant="ghost" aria-expanded={open} aria-controls="coaching-body" onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide' : 'Show'}
        </Button>
      }
    >
      <div id="coaching-body" hidden={!open}>
        {report.status === 'error' ? (
          <p className="text-sm text-slate-600">Coaching could not be loaded just now ({report.error}).</p>
        ) : !r ? (
          <p className="text-sm text-slate-600" role="status">
            Loading your coaching…
          </p>
        ) : (
          <div className="space-y-3">
            <dl className="grid grid-cols-3 gap-2 text-sm">
              <div>
                <dt className="text-xs text-slate-600">Speed to lead</dt>
                <dd className="font-semibold tabular-nums">{duration(r.metrics.speedToLeadMedianMs)}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-600">Reply time</dt>
                <dd className="font-semibold tabular-nums">{duration(r.metrics.replyTimeMedianMs)}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-600">Price asked</dt>
                <dd className="font-semibold tabular-nums">{percent(r.metrics.coverage.q4Price)}</dd>
              </div>
            </dl>
            {r.actions.length > 0 ? (
              <ol className="list-decimal space-y-1.5 pl-5 text-sm">
                {r.actions.slice(0, 3).map((a, i) => (
                  <li key={i}>
                    <span className="font-medium">{a.action}</span> <span className="text-slate-600">— {a.why}</span>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="text-sm text-slate-600">Nothing to change from this period: keep going.</p>
            )}
            {r.narrative && <p className="text-sm text-slate-700">{r.narrative}</p>}
            <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
              <Badge tone={r.generatedBy === 'claude' ? 'indigo' : 'slate'}>{r.generatedBy === 'claude' ? 'Written by Claude' : 'Rule-based'}</Badge>
              {new Date(r.period.from).toLocaleDateString('en-US', { month: 'short', day: 'numeric' })} – {new Date(r.period.to).toLocaleDateString('en-US', { month: 'short', day: 'numeric' })}
            </p>
          </div>
        )}
      </div>
    </Card>
  );
}
