// Compiled (not run) by `npm run test:types`: the shipped .d.ts files type an app's code.
import { RelaymeshClient, type ClientState, type RelaymeshEvent } from '../../dist/index.js';

interface ChatEvent {
  event_id: string;
  text: string;
}

const client = new RelaymeshClient<ChatEvent>({ url: 'wss://gw.example', company: 'acme', agent: 'support', token: 't' });
client.on('event', (e: RelaymeshEvent<ChatEvent>) => {
  const text: string = e.payload.text;
  void text;
});
client.on('state', (s: ClientState) => {
  if (s.status === 'reconnecting') {
    const at: number = s.retryAt;
    void at;
  }
  if (s.status === 'closed' && s.close) {
    const retry: boolean = s.close.retry;
    void retry;
  }
});
client.on('ready', ({ recovered }) => void recovered);
// @ts-expect-error: no such event
client.on('nope', () => {});
// @ts-expect-error: select_chat needs a chat_id
client.send({ type: 'select_chat', payload: {} });
