// Entry point of a harness script run directly: exit with what main() resolves to, 1 on a throw,
// and the usual codes on SIGINT/SIGTERM (the code-server it started is stopped by main's finally).
export function runScript(main: () => Promise<number>): void {
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  main().then((code) => process.exit(code), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
