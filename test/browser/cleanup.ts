// Teardown a browser test registers as it goes (raw NATS connections, <video>
// elements, streams), run in afterEach also when the test failed.
const disposers: (() => unknown)[] = [];

/** Run `fn` at the end of this test, last registered first. */
export function onCleanup(fn: () => unknown) {
  disposers.push(fn);
}

/** Runs every registered teardown; one that throws does not stop the others. */
export async function runCleanups() {
  for (const d of disposers.splice(0).reverse()) {
    try {
      await d();
    } catch {
      // keep tearing down
    }
  }
}
