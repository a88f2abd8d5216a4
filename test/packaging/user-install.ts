/**
 * The installs a user makes, built the way a user builds them, for the specs that prove them:
 *
 * - a fresh clone: the files git tracks (plus new, not ignored ones), no dist/, no node_modules of its
 *   own (a symlink to this checkout's, so `npm pack` finds tsc without a second install);
 * - `npm pack` in it: the `prepare` script must build dist/ into the tarball;
 * - a plain Node-RED (the same version the suite runs on) installed with npm in a directory of its own,
 *   and user dirs whose node_modules hold ONLY this package: from the tarball, or from a git+file:// URL
 *   of the fresh clone (npm clones it, installs its dev dependencies, runs `prepare`, packs, installs).
 *
 * Nothing of this checkout's node_modules is on the plain Node-RED's scan path, so the dashboard and
 * other dev dependencies do not load there: the editor shows what a user's own Node-RED shows.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../helpers/node-red-process';
import { packageName } from './package-info';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** npm as a user runs it, quiet and without prompts; the cache is preferred (the registry is still used). */
async function npmIn(cwd: string, args: readonly string[], timeoutMs = 300_000): Promise<string> {
  const env: Record<string, string | undefined> = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_loglevel: 'error' };
  // npm run by mocha inside `npm test` would inherit npm_* of the outer run (e.g. npm_config_prefix); drop them.
  for (const key of Object.keys(env)) if (/^npm_(?!config_(audit|fund|update_notifier|loglevel|cache)$)/.test(key)) delete env[key];
  try {
    const { stdout } = await run(npm, [...args, '--prefer-offline'], { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm ${args.join(' ')} in ${cwd} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

export interface UserInstalls {
  /** The temp dir everything lives in; removed by dispose(). */
  readonly root: string;
  /** The fresh clone (a git repository with one commit of the current tree). */
  readonly clone: string;
  /** The tarball `npm pack` wrote from the fresh clone. */
  readonly tarball: string;
  /** red.js of the plain Node-RED install. */
  readonly redJs: string;
  /** A user dir whose node_modules has only the tarball's package. */
  readonly tarballUserDir: string;
  /** The installed package in tarballUserDir (the tarball's content). */
  readonly installedPackage: string;
  /** Installs the package from git+file://<clone> into a new user dir and returns that dir. */
  installFromGit(): Promise<string>;
  dispose(): void;
}

export const nodeRedVersion: string = (JSON.parse(fs.readFileSync(require.resolve('node-red/package.json', { paths: [repoRoot] }), 'utf8')) as { version: string }).version;

/** The files a fresh clone of the current tree has: tracked and new (not ignored) files that exist. */
async function cloneFiles(): Promise<string[]> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\0').filter((f) => f !== '' && fs.existsSync(path.join(repoRoot, f)));
}

async function makeClone(dir: string): Promise<void> {
  for (const file of await cloneFiles()) {
    const to = path.join(dir, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, file), to);
    fs.chmodSync(to, fs.statSync(path.join(repoRoot, file)).mode);
  }
  const git = (...args: string[]): Promise<unknown> =>
    run('git', ['-c', 'user.name=kis-test', '-c', 'user.email=kis-test@127.0.0.1', '-c', 'commit.gpgsign=false', ...args], { cwd: dir });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'fresh clone of the tree under test');
}

function newUserDir(parent: string, name: string): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true });
  // What `node-red` writes into a new user dir: a package.json that lists the installed modules.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'node-red-project', description: 'A Node-RED Project', version: '0.0.1', private: true }, null, 2));
  return dir;
}

export async function prepareUserInstalls(): Promise<UserInstalls> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-user-install-'));
  const clone = path.join(root, 'clone');
  fs.mkdirSync(clone);
  await makeClone(clone);
  // After the commit, so the git URL install does not carry the symlink.
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(clone, 'node_modules'), 'dir');

  const packed = path.join(root, 'packed');
  fs.mkdirSync(packed);
  const [plain] = await Promise.all([
    (async () => {
      const dir = newUserDir(root, 'node-red');
      await npmIn(dir, ['install', '--no-save', `node-red@${nodeRedVersion}`]);
      return dir;
    })(),
    npmIn(clone, ['pack', '--pack-destination', packed]),
  ]);
  const tgz = fs.readdirSync(packed).find((f) => f.endsWith('.tgz'));
  if (tgz === undefined) throw new Error(`npm pack wrote no tarball into ${packed}`);
  const tarball = path.join(packed, tgz);

  const tarballUserDir = newUserDir(root, 'user-tarball');
  await npmIn(tarballUserDir, ['install', tarball]);

  let gitDirs = 0;
  return {
    root,
    clone,
    tarball,
    redJs: path.join(plain, 'node_modules', 'node-red', 'red.js'),
    tarballUserDir,
    installedPackage: path.join(tarballUserDir, 'node_modules', ...packageName.split('/')),
    async installFromGit() {
      const dir = newUserDir(root, `user-git-${++gitDirs}`);
      await npmIn(dir, ['install', `git+file://${clone}`], 600_000);
      return dir;
    },
    dispose() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
