// What `npm start` changes from the server's defaults, for its demo: anonymous
// sign-in (the demo signs in with a uid) and the static pages. A base, not an
// override: a WD_CONFIG file or a WD_* variable that says otherwise wins, so
// `WD_CONFIG` with {"anonymous": false} really turns anonymous sign-in off.
export const devBase = Object.freeze({ anonymous: true, serveStatic: true });
