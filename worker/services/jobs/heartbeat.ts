/** The heartbeat's work is being recorded: its job_runs row is the proof the scheduler fired. */
export async function heartbeat(): Promise<{ at: string }> {
  return { at: new Date().toISOString() };
}
