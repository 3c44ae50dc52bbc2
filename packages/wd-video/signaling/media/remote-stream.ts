import { StreamHandle } from './stream-handle.js';

/** The other side's media (Wilddog's RemoteStream): enable*() mute or hide it locally. */
export class RemoteStream extends StreamHandle {}
