/**
 * ACLLoadUsersAtStartup: the users come from the config file's `user`
 * lines or from `aclfile`, never both. Any error stops the server from
 * starting (ConfigError), as it makes redis-server exit.
 */
import { ConfigError } from '../config.js';
import { aclErrors } from '../errors.js';
import type { Acl } from './acl.js';

export function loadUsersAtStartup(acl: Acl, aclfile: string, users: ReadonlyArray<readonly string[]>): void {
  if (aclfile !== '' && users.length !== 0) throw new ConfigError('aclfile', aclErrors.configuredUsersAndAclFile);
  // ACLAppendUserForLoading's checks, which redis-server makes while reading the config file.
  const seen = new Set<string>();
  for (const line of users) {
    const error = acl.validateUserLine(line, seen);
    if (error !== null) throw new ConfigError('user', error);
    seen.add(line[0]!);
  }
  const error = acl.loadConfiguredUsers(users);
  if (error !== null) throw new ConfigError('user', `${error}. Critical error while loading ACLs. Exiting.`);
  if (aclfile !== '') {
    const errors = acl.loadFile(aclfile, null);
    if (errors !== null) throw new ConfigError('aclfile', `Aborting Redis startup because of ACL errors: ${errors}`);
  }
}
