import { createApp } from './app';

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;

export { ConversationRoom } from './conversations/room';
export { RealtimeHub } from './realtime/hub';
export { AlertDesk } from './sla/desk';
