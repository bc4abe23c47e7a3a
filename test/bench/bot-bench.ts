// The Slack bot's speed on a lab that is up: how fast Slack gets its HTTP 200 (Slack allows
// 3 s; the target is 300 ms) and how fast the answer is posted, for `/routes leaf0` over real
// HTTP on 127.0.0.1 with signed requests, Web API calls going to a local recorder.
import { FakeSlack, postSigned, slashBody, startTestBot } from '../bot/fake-slack.js';

const SECRET = 'bench-signing-secret-0123456789';

export async function benchBot(lab: string, runs: number): Promise<{ ackMs: number[]; answerMs: number[] }> {
  const { slack, bot, port } = await startTestBot(SECRET, { BGP_LAB_NAME: lab });
  const ackMs: number[] = [];
  const answerMs: number[] = [];
  try {
    for (let i = 0; i < runs + 1; i++) {
      const before = slack.calls.length;
      const started = Date.now();
      const body = slashBody({ command: '/routes', text: 'leaf0', user: 'UBENCH', channel: 'CBENCH', responseUrl: slack.responseUrl(`b${i}`) });
      const res = await postSigned(port, body, { secret: SECRET });
      if (res.status !== 200) throw new Error(`/routes leaf0 answered HTTP ${res.status}`);
      const posted = await waitForPost(slack, before, 10_000);
      if (!String(posted.body.text).includes('routes on leaf0')) throw new Error(`unexpected answer: ${String(posted.body.text).slice(0, 80)}`);
      if (i === 0) continue; // warm-up: the first command loads the command core
      ackMs.push(res.ms);
      answerMs.push(posted.at - started);
    }
  } finally {
    await bot.stop();
    await slack.stop();
  }
  return { ackMs, answerMs };
}

async function waitForPost(slack: FakeSlack, from: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = slack.calls.slice(from).find((x) => x.method === 'chat.postMessage');
    if (c) return c;
    if (Date.now() > deadline) throw new Error('no chat.postMessage within 10 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}
