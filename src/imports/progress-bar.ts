/**
 * A progress bar for the CLI on stderr (stdout carries the JSON report). On a terminal it
 * redraws one line; elsewhere (CI logs, pipes) it prints a line per 10%.
 */
export class ProgressBar {
  private lastDecile = -1;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly width = 30,
  ) {}

  update(done: number): void {
    const ratio = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const filled = Math.round(ratio * this.width);
    const text = `[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${Math.floor(ratio * 100)
      .toString()
      .padStart(3)}% ${(done / 1048576).toFixed(1)}/${(this.total / 1048576).toFixed(1)} MB`;
    if (this.out.isTTY) {
      this.out.write(`\r${text}`);
    } else {
      const decile = Math.floor(ratio * 10);
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.out.write(`${text}\n`);
    }
  }

  finish(): void {
    this.update(this.total);
    if (this.out.isTTY) this.out.write('\n');
  }
}
