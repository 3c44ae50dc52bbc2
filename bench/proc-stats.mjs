// CPU and memory of processes and of the whole machine, from Linux's /proc.
// CPU figures are in % of one core (2 busy cores = 200 %), so a reader can add
// up what nats-server, the load generators and everything else took.
import { readdirSync, readFileSync } from 'node:fs';

const USER_HZ = 100; // clock ticks per second in /proc (USER_HZ is 100 on Linux)

/** Resident memory of a process, KB; NaN when it is gone. */
export function rssKB(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process has used; NaN when it is gone. */
export function cpuSec(pid) {
  try {
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / USER_HZ;
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds of the whole machine, summed over cores: busy (everything but
 * idle and iowait), of which interrupts (irq + softirq: loopback networking
 * lands here, charged to no process), and steal (a hypervisor ran someone else).
 */
export function machineCpuSec() {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return { busy: (user + nice + system + irq + softirq + steal) / USER_HZ, interrupts: (irq + softirq) / USER_HZ, steal: steal / USER_HZ, idle: (idle + iowait) / USER_HZ };
}

/** CPU seconds of every process now running, by pid. */
function everyProcessCpuSec() {
  const out = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const sec = cpuSec(name);
    if (Number.isFinite(sec)) out.set(Number(name), sec);
  }
  return out;
}

/**
 * Starts measuring now; `read()` gives each named process's CPU %, all other
 * processes' together, and the machine's busy, interrupt and steal % since
 * then (each in % of one core), plus the seconds elapsed. The machine's figure
 * comes from /proc/stat, the others from per-process accounting: on a VM the two
 * can disagree by several %.
 */
export function cpuMeter(pids) {
  const t0 = performance.now();
  const p0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSec(pid)]));
  const m0 = machineCpuSec();
  const all0 = everyProcessCpuSec();
  return {
    read() {
      const sec = (performance.now() - t0) / 1000;
      const pct = (s) => (s / sec) * 100;
      const procs = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pct(cpuSec(pid) - p0[k])]));
      const m1 = machineCpuSec();
      // Everyone else, process by process (a process started meanwhile counts whole; one that ended is missed).
      const ours = new Set(Object.values(pids).map(Number));
      let others = 0;
      for (const [pid, s1] of everyProcessCpuSec()) if (!ours.has(pid)) others += s1 - (all0.get(pid) ?? 0);
      return { sec, procs, otherProcessesPct: pct(others), machinePct: pct(m1.busy - m0.busy), interruptsPct: pct(m1.interrupts - m0.interrupts), stealPct: pct(m1.steal - m0.steal) };
    },
  };
}
