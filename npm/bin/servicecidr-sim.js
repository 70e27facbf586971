#!/usr/bin/env node
// servicecidr-sim: the package's command.
//   servicecidr-sim apiserver [options]     the Kubernetes API over HTTP, for kubectl and clients
//   servicecidr-sim check-docs PAGE.md ...  run a docs page's shell blocks, report drift
// Each subcommand lives in ../cli/; `--help` after it lists its options.

const USAGE = `usage: servicecidr-sim <command> [options]

commands:
  apiserver     serve the simulated Kubernetes API over HTTP (kubectl, client libraries)
  check-docs    run a docs page's shell blocks and report where its output has drifted

Run 'servicecidr-sim <command> --help' for a command's options.`;

const COMMANDS = {
  apiserver: '../cli/apiserver.js',
  'check-docs': '../cli/check-docs.js',
};

const [command, ...args] = process.argv.slice(2);
if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  console.log(USAGE);
  process.exitCode = command === undefined ? 2 : 0;
} else if (command === '--version' || command === 'version') {
  const { createRequire } = await import('node:module');
  console.log(createRequire(import.meta.url)('../package.json').version);
} else if (Object.hasOwn(COMMANDS, command)) {
  const { main } = await import(COMMANDS[command]);
  try {
    process.exitCode = await main(args);
  } catch (e) {
    console.error(`servicecidr-sim ${command}: ${e?.stack ?? e}`);
    process.exitCode = 2;
  }
} else {
  console.error(`servicecidr-sim: unknown command '${command}'\n${USAGE}`);
  process.exitCode = 2;
}
