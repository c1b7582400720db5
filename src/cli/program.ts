import { Command } from 'commander';
import { packageVersion } from '../artifacts/code-version.js';
import { registerCommands } from './commands/index.js';

/** The `dcgrid` command with its global options and every subcommand. */
export function buildProgram(): Command {
  const program = new Command('dcgrid')
    .description(
      'Forecast data-centre electricity load and power-grid stress for Ireland.\n' +
        'Settings come from the environment and .env (see .env.example); flags below override them.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--json', 'print results as JSON (for scripts)')
    .option('--raw-dir <dir>', 'folder of raw input files (DCGRID_RAW_DIR); read-only')
    .option('--region <region>', 'IE (default), NI or ALL (REGION)')
    .option('--home <dir>', 'state folder: embedded database, artifacts, caches (DCGRID_HOME)')
    .option('--no-progress', 'no progress bars or progress lines (on stderr)')
    .option('--log-json', 'structured logs as JSON lines on stderr (default: DCGRID_HOME/logs/dcgrid.log)')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: false });
  registerCommands(program);
  return program;
}
