// Writes the README's call set-up capacity section from a committed bench
// result file (a full run of the capacity part), so no figure there is typed by hand:
//   node scripts/bench-readme-capacity.mjs bench/results/<name>.json [--compare=bench/results/<other>.json]
// --compare adds a row with another run's ceilings and idle load: the run taken
// on the SDK before the failover work (clients pinging every 5 s, not 1.25 s). Replaces what stands between
// <!-- bench:capacity:start --> and <!-- bench:capacity:end -->.
import { readFileSync } from 'node:fs';
import { replaceReadmeSection } from './readme-section.mjs';

const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
const compareFile = process.argv.find((a) => a.startsWith('--compare='))?.slice(10);
if (!file) {
  console.error('usage: node scripts/bench-readme-capacity.mjs bench/results/<name>.json [--compare=bench/results/<other>.json]');
  process.exit(2);
}
/** The capacity part of a full run's result file. */
function load(f) {
  const r = JSON.parse(readFileSync(f, 'utf8'));
  if (r.quick || !r.capacity?.topologies?.length) throw new Error(`${f}: not a full run with a capacity part`);
  return r;
}
const r = load(file);
const cap = r.capacity;
const other = compareFile ? load(compareFile).capacity : undefined;

const n = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }).replace(/,/g, ' ') : '—');
const nodesName = (t) => (t.natsNodes === 1 ? 'one nats-server' : `${t.natsNodes}-node cluster`);
const stepAt = (t, rate) => t.steps.find((s) => s.offeredPerSec === rate);
/** The first step above the ceiling (or the first step when none passed): what gave way. */
const firstOver = (t) => t.steps.find((s) => !s.pass && s.offeredPerSec > (t.ceiling?.offeredPerSec ?? 0));
// The whole machine's busy time (/proc/stat) is left out: on this VM it can read below the processes' own sum.
const cpu = (s) => `nats-server ${s.cpu.natsPct.map((x) => n(x)).join(' + ')} %, load generators ${n(s.cpu.generatorTotalPct)} %, other programs ${n(s.cpu.otherPct)} %`;
const natsTotal = (s) => s.cpu.natsPct.reduce((a, b) => a + b, 0);
/** The highest step that served its rate with nothing lost, whatever its latency: the throughput ceiling. */
const served = (t) => t.steps.filter((s) => s.lost === 0 && s.achievedPerSec >= cap.criteria.minAchievedRatio * s.offeredPerSec).reduce((a, s) => (!a || s.offeredPerSec > a.offeredPerSec ? s : a), undefined);
/** Steps over the latency limit whose slowest set-ups in every generator process came within 50 ms of each other: a stall all clients shared. */
const sharedStalls = (t) => {
  const over = t.steps.filter((s) => !s.pass && s.perWorker?.length > 1);
  const shared = over.filter((s) => Math.max(...s.perWorker.map((w) => w.slowestAtMs)) - Math.min(...s.perWorker.map((w) => w.slowestAtMs)) <= 50);
  return `${shared.length} of ${over.length}`;
};

const ts = cap.topologies;
const row = (label, f) => `| ${label} | ${ts.map(f).join(' | ')} |`;
const summary = [
  `| | ${ts.map((t) => nodesName(t)).join(' | ')} |`,
  `|---|${ts.map(() => '---|').join('')}`,
  row(`**ceiling**: highest offered rate with invite → ringing p99 < ${cap.criteria.ringingP99Ms} ms and 0 lost (goal: 2 000 / s on one node)`, (t) =>
    t.ceiling ? `**${t.ceiling.topOfRamp ? '≥ ' : ''}${n(t.ceiling.offeredPerSec)} / s**${t.ceiling.failedBelow.length ? ` (${t.ceiling.failedBelow.map((x) => n(x)).join(', ')} / s below it failed once)` : ''}` : '**none** of the steps',
  ),
  row('at the ceiling: invite → ringing p50 / p99 / max; whole set-up p99', (t) => {
    const s = t.ceiling && stepAt(t, t.ceiling.offeredPerSec);
    return s ? `${n(s.ringingMs.p50, 1)} / ${n(s.ringingMs.p99, 1)} / ${n(s.ringingMs.max)} ms; ${n(s.setupMs.p99, 1)} ms` : '—';
  }),
  row('at the ceiling: CPU, % of one core', (t) => {
    const s = t.ceiling && stepAt(t, t.ceiling.offeredPerSec);
    return s ? cpu(s) : '—';
  }),
  row('first step over the limits', (t) => {
    const s = firstOver(t);
    return s ? `${n(s.offeredPerSec)} / s: ${s.why.join('; ')}; ${cpu(s)}` : '— (the ramp ended first)';
  }),
  row('highest rate served with 0 lost, whatever the latency', (t) => {
    const s = served(t);
    return s ? `${n(s.offeredPerSec)} / s offered${s === t.steps.at(-1) ? ' (the last step this run tried)' : ''}, ${n(s.achievedPerSec)} / s done, invite → ringing p50 / p99 ${n(s.ringingMs.p50, 1)} / ${n(s.ringingMs.p99)} ms; ${cpu(s)}: the generators took ${n(s.cpu.generatorTotalPct / natsTotal(s), 1)} × nats-server's CPU` : '—';
  }),
  row('steps over the limit whose slowest set-ups fell at the same moment (within 50 ms) in every generator process', (t) => sharedStalls(t)),
  row('CPU per set-up at that rate (the idle clients\' pings included)', (t) => {
    const s = served(t) ?? t.steps.at(-1);
    return `nats-server ${n(s.cpuMsPerSetup.nats, 2)} ms, calling load generators ${n(s.cpuMsPerSetup.generators, 2)} ms`;
  }),
  row('nats-server garbage collection in a step (cycles, longest concurrent mark, heap after)', (t) => {
    const s = firstOver(t) ?? t.steps.at(-1);
    return `${n(s.offeredPerSec)} / s: ${s.nats.map((x) => `${x.gc.cycles} × up to ${n(x.gc.longestMarkMs)} ms, ${n(x.gc.heapAfterMB)} MB`).join('; ')}`;
  }),
  ...(other
    ? [
        row(`the same bench on the SDK before the failover work, clients pinging every ${(other.topologies[0].connect.clientPingIntervalMs ?? NaN) / 1000} s (\`${compareFile}\`): ceiling; idle CPU`, (t) => {
          const o = other.topologies.find((x) => x.natsNodes === t.natsNodes);
          return o ? `${o.ceiling ? `${n(o.ceiling.offeredPerSec)} / s` : 'none'}; nats-server ${o.idleCpu.natsPct.map((x) => n(x)).join(' + ')} %, load generators ${n(o.idleCpu.generatorTotalPct)} %` : '—';
        }),
      ]
    : []),
  row(`${n(cap.clients)} clients: sign-in, connect`, (t) => `${n(t.signIn.perSec)} / s, ${n(t.connect.perSec)} / s`),
  row('nats-server memory per connected client (RSS)', (t) => t.nats.map((x) => `${n(x.rssKB.perClientKB)} KB`).join(', ')),
  row(`idle, ${n(cap.clients)} clients pinging every ${(ts[0].connect.clientPingIntervalMs ?? NaN) / 1000} s: CPU`, (t) => `nats-server ${t.idleCpu.natsPct.map((x) => n(x)).join(' + ')} %, load generators ${n(t.idleCpu.generatorTotalPct)} %`),
];

const steps = [
  '| nodes | offered / s | achieved / s | lost | invite → ringing p50 / p99 / max, ms | schedule lag p99, ms | CPU %: nats-server / generators / other programs | nats-server GC: cycles × longest mark, ms | verdict |',
  '|---|---|---|---|---|---|---|---|---|',
  ...ts.flatMap((t) =>
    t.steps.map(
      (s) =>
        `| ${t.natsNodes} | ${n(s.offeredPerSec)}${s.attempt > 1 ? ' (2nd try)' : ''} | ${n(s.achievedPerSec)} | ${s.lost} | ${n(s.ringingMs.p50, 1)} / ${n(s.ringingMs.p99, 1)} / ${n(s.ringingMs.max)} | ${n(s.scheduleLagMs.p99, 1)} | ${s.cpu.natsPct.map((x) => n(x)).join('+')} / ${n(s.cpu.generatorTotalPct)} / ${n(s.cpu.otherPct)} | ${s.nats.map((x) => `${x.gc.cycles} × ${n(x.gc.longestMarkMs)}`).join(', ')} | ${s.pass ? 'ok' : s.why.join('; ')} |`,
    ),
  ),
];

const m = r.machine;
const text = [
  `Call set-up capacity, from \`${file}\` (\`node scripts/bench.mjs capacity --out=${file.replace(/\.json$/, '')}\`; ${m.cores} cores, ${m.cpu}, Node ${m.node}):`,
  `${n(cap.clients)} clients signed in through the token service and connected with the SDK's own transport (nats.ws); ${n(cap.activeClients)} of them place the calls, in pairs, from ${cap.workers} load-generator processes, the other ${n(cap.clients - cap.activeClients)} stay connected and ping from ${cap.idleHolders} more. Each set-up is ${cap.setup}, on the SDK's subjects and codec with the server enforcing permissions. Rates rise in ${cap.phaseMs / 1000} s steps, open loop (set-ups start on schedule); a set-up is lost when a step misses its ${cap.deadlineMs / 1000} s deadline.`,
  '',
  ...summary,
  '',
  `The load generators share the ${m.cores} cores with nats-server (and with whatever else runs: "other programs"): they run the SDK's JavaScript for both ends of every call, so compare the CPU figures to see what gave way first. "Schedule lag" is how late the generators started set-ups: when it grows, the generators (or the machine) are the limit. A stall every generator process saw at the same moment was one of nats-server or of the machine, not of one generator; nats-server's garbage collection (a concurrent mark of its heap, traced with GODEBUG=gctrace=1) is listed per step.`,
  '',
  '<details><summary>Every step of the ramp</summary>',
  '',
  ...steps,
  '',
  '</details>',
].join('\n');

replaceReadmeSection('capacity', text);
console.log(text);
