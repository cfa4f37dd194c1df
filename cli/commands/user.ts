import { ROLES, type Role } from '../../shared/auth';
import { provisionSip } from '../../server/store/sip-provisioning';
import { openSipStore } from '../../server/store/sip-store';
import type { CityStore } from '../../server/store/sql';
import { createUser, disableUser, findUser, rotateSipSecret, setPassword } from '../../server/store/users';
import { flag, openCityStore, required, str } from '../args';
import type { Args } from '../main';
import { UsageError } from '../usage';

export async function runUser(args: Args): Promise<number> {
  const [action, name] = args.positionals;
  if ((action !== 'add' && action !== 'passwd' && action !== 'sip-reset' && action !== 'disable') || !name) {
    throw new UsageError('user add NAME --role agent|lead|editor|reviewer|analyst|auditor [--department ID], user passwd NAME, user sip-reset NAME, or user disable NAME');
  }
  // Where the SIP server reads accounts: DIR/sip.sqlite beside a SQLite store, the database itself on PostgreSQL.
  const reprovision = async (db: CityStore) => {
    const sip = openSipStore(db, str(args, 'data'));
    try {
      await provisionSip(db, sip.db);
    } finally {
      await sip.close();
    }
  };
  if (action === 'sip-reset' || action === 'disable') {
    const db = await openCityStore(args);
    try {
      if (!(await (action === 'disable' ? disableUser : rotateSipSecret)(db, name))) throw new Error(`no user ${name}`);
      // Either way the SIP server's accounts change: a disabled account's phone no longer registers.
      await reprovision(db);
      process.stdout.write(action === 'disable' ? `${name} disabled: signed out everywhere, no sign-in, no phone\n` : `new SIP secret for ${name}: the desk gets it at its next login\n`);
      return 0;
    } finally {
      await db.close();
    }
  }
  const password = str(args, 'password') ?? process.env.MINWON_PASSWORD;
  if (!password || password.length < 8) throw new UsageError('a password of at least 8 characters is needed (MINWON_PASSWORD or --password)');
  const db = await openCityStore(args);
  try {
    if (action === 'passwd') {
      if (!(await setPassword(db, name, password))) throw new Error(`no user ${name}`);
      process.stdout.write(`password of ${name} changed; their sessions have ended\n`);
      return 0;
    }
    const role = required(args, 'role');
    if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role is one of ${ROLES.join(', ')}`);
    const practiceCaller = flag(args, 'practice-caller');
    if (practiceCaller && role !== 'phone') throw new UsageError('--practice-caller is for phone accounts (--role phone)');
    if (await findUser(db, name)) throw new Error(`user ${name} exists`);
    const department = str(args, 'department');
    const user = await createUser(db, { username: name, displayName: str(args, 'display-name') ?? name, role: role as Role, password, practiceCaller, ...(department !== undefined ? { department } : {}) }, new Date());
    // The new account can register its phone at once, running server or not.
    await reprovision(db);
    process.stdout.write(`created ${user.role} ${user.username} (${user.id})${practiceCaller ? ', a practice caller' : ''}${user.department ? ` of ${user.department}` : ''}\n`);
    return 0;
  } finally {
    await db.close();
  }
}
