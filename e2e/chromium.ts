/**
 * The system Chromium for both Playwright configs (browser downloads are not possible everywhere):
 * /usr/bin/chromium or CHROMIUM_PATH, with the flags a headless root run on a closed network needs.
 */
export function chromiumLaunchOptions(extraArgs: string[] = []) {
  return {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...extraArgs, '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  };
}
