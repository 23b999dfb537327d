/** The server-wide counters behind INFO stats and INFO errorstats. */
export class ServerStats {
  totalConnections = 0;
  rejectedConnections = 0;
  totalCommands = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  totalErrorReplies = 0;
  /** Error replies by their code (ERR, WRONGTYPE, NOAUTH...). */
  readonly errorCodes = new Map<string, number>();

  recordError(code: string): void {
    this.totalErrorReplies++;
    this.errorCodes.set(code, (this.errorCodes.get(code) ?? 0) + 1);
  }

  /** CONFIG RESETSTAT */
  reset(): void {
    this.totalConnections = 0;
    this.rejectedConnections = 0;
    this.totalCommands = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.totalErrorReplies = 0;
    this.errorCodes.clear();
  }
}
