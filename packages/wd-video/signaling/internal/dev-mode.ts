// Development builds: bugs fail loudly. The package's "imports" map picks this
// module under the `development` condition (Vite's and webpack's dev servers,
// the test suites) and prod-mode.ts otherwise (the CDN bundle, production builds).
export const DEV_MODE = true;
