/**
 * A process that ignores SIGTERM and starts a child that ignores it too, as the client bot once
 * did while it kept polling: the launcher must still leave nothing behind. Prints its pids.
 */
import { spawn } from 'node:child_process';

process.on('SIGTERM', () => undefined);
const child = spawn(process.execPath, ['-e', "process.on('SIGTERM',()=>{});setInterval(()=>{},1000)"], { stdio: 'ignore' });
process.stdout.write(`pids ${process.pid} ${child.pid}\n`);
setInterval(() => undefined, 1_000);
