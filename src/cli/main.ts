import { reportEscapedError } from './context.js';
import { buildProgram } from './program.js';

// An error thrown from a library's own callback (a socket's EPIPE when the database server goes
// away, PGlite failing inside its event handler on a full disk) reaches no command's try/catch:
// it is printed as one line like any command error, with the same exit code, not a stack trace.
const escaped = (error: unknown) => {
  process.exit(reportEscapedError(error));
};
process.on('uncaughtException', escaped);
process.on('unhandledRejection', escaped);

await buildProgram().parseAsync(process.argv);
