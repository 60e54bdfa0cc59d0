/**
 * Helpers shared by the end-to-end tests: a real GovFlow server on a free port with a fresh data
 * directory, and Debian's Chromium driven by playwright-core (no downloaded browsers).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEMO_PASSWORD = 'GovFlow@2026';
/** Where failing tests leave screenshots (ignored by git). */
export const ARTIFACTS_DIR = join(ROOT, '.test-artifacts', 'e2e');

const READINESS_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_LIMIT = 20_000;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  dataDir: string;
  /** What the server printed so far (stdout and stderr, last 20 kB). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `apps/server/src/main.ts` as a child process and resolves once it answers readiness. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const indexHtml = join(ROOT, 'apps/web/dist/index.html');
  if (!existsSync(indexHtml)) {
    throw new Error(`${indexHtml} is missing: run \`npm run build -w @govflow/web\` before the e2e tests`);
  }
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'govflow-e2e-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // Never leave a server behind if the test process dies without running `after`.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForReadiness(baseUrl, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, dataDir, output: () => output, stop };
}

async function waitForReadiness(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READINESS_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output()}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      lastProblem = `readiness answered ${response.status}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server not ready after ${READINESS_TIMEOUT_MS / 1000} s (${lastProblem}):\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Debian's Chromium, headless, quiet on a closed network; `extraArgs` add to the usual flags. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** A fresh browser profile (no cookies) pointed at the server, in Chinese, desktop sized. */
export async function newContext(
  browser: Browser,
  server: RunningServer,
  timezoneId = 'Asia/Shanghai',
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    locale: 'zh-CN',
    timezoneId,
    // The app honours reduced motion: a dialog is there at once, so a click never lands on one
    // still zooming in (under a loaded machine such clicks were lost, and the answer never came).
    reducedMotion: 'reduce',
    viewport: { width: 1366, height: 820 },
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Fills the login form and submits it; resolves with the server's answer to the login request. */
export async function submitLogin(page: Page, username: string, password: string) {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/v1/auth/login' && r.request().method() === 'POST',
    ),
    page.getByTestId('login-submit').click(),
  ]);
  return response;
}

/** Runs a browser step and, when it throws, saves a screenshot under .test-artifacts/e2e. */
export async function withScreenshotOnFailure<T>(
  page: Page,
  name: string,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    const path = join(ARTIFACTS_DIR, `${name}.png`);
    await page.screenshot({ path, fullPage: true }).catch(() => {});
    throw error;
  }
}

/**
 * One server and one browser for a test file: started before its tests, stopped after.
 * `newContext()` opens a fresh browser context (its own cookies) against that server.
 */
export function useServerAndBrowser(env: Record<string, string> = {}) {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    server = await startServer(env);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    /** `timezoneId`: the zone of the browser's machine (pages show Beijing time whatever it is). */
    newContext: (timezoneId?: string) => {
      if (!server || !browser) throw new Error('the server and browser are not started yet');
      return newContext(browser, server, timezoneId);
    },
  };
}

/** Logs in through the form and waits for the account's home (workbench, admin console or citizen's page). */
export async function loginAs(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  const accepted = await submitLogin(page, username, password);
  if (accepted.status() !== 200) throw new Error(`login ${username}: ${accepted.status()}`);
  await page.waitForURL((url) => /^\/(workbench|admin|portal)$/.test(url.pathname));
}

/** For `page.waitForResponse`: an API call with this method and a path matching `pattern`. */
export function isApi(method: string, pattern: RegExp) {
  return (r: { url(): string; request(): { method(): string } }) =>
    r.request().method() === method && pattern.test(new URL(r.url()).pathname);
}
