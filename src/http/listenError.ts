/**
 * @module http/listenError
 * A listener that cannot start, told as one line that names the setting to change (instead of the
 * `EADDRINUSE` stack a newcomer would otherwise read).
 */

export class ListenError extends Error {
  override readonly name = 'ListenError';
}

/** Which listener failed: its port, the address it binds and the variable that sets the port. */
export interface ListenTarget {
  port: number;
  host: string;
  portVariable: 'ROUTER_PORT' | 'GATEWAY_INTERNAL_PORT';
}

/** The one-line explanation of a failed `listen`, or the error itself when it is not about the address. */
export function explainListenFailure(error: unknown, target: ListenTarget): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const { port, host, portVariable } = target;
  switch (code) {
    case 'EADDRINUSE':
      return new ListenError(
        `port ${port} on ${host} is already in use: set ${portVariable} to a free port (or stop what listens there)`,
        { cause: error },
      );
    case 'EACCES':
      return new ListenError(
        `port ${port} needs privileges this process does not have: set ${portVariable} to a port above 1023`,
        { cause: error },
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ListenError(
        `cannot listen on ${host}, not an address of this host: set GATEWAY_BIND (0.0.0.0 for every interface)`,
        { cause: error },
      );
    default:
      return error;
  }
}
