// What `npm test` tells the browser tests about the stack it started
// (web-test-runner.config.mjs writes it into the test page).
declare global {
  interface Window {
    WD_TEST: { authUrl: string };
  }
}

/** The test stack's sign-in URL (POST /v1/session). */
export const authUrl = () => window.WD_TEST.authUrl;
