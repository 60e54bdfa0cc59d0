/** A one-line progress bar on stderr (a line every 10% when stderr is not a terminal). */
export function progressBar(label: string) {
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  return {
    update(done: number, total: number) {
      const pct = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
      if (tty) {
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        process.stderr.write(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${done}/${total}`,
        );
      } else if (Math.floor(pct / 10) > lastDecile) {
        lastDecile = Math.floor(pct / 10);
        process.stderr.write(`${label} ${pct}% ${done}/${total}\n`);
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}
