/** A progress bar on stderr, only when stderr is a terminal: pipes and log files get no control codes. */
import cliProgress from 'cli-progress';

export function progressReporter(
  label: string,
  stderr: { isTTY?: boolean } = process.stderr,
): { update(done: number, total: number): void; stop(): void } {
  if (!stderr.isTTY || stderr !== process.stderr) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted} left`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
