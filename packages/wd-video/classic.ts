// Entry of the classic-script bundle dist/wd-video.classic.js, for pages, CMSs
// and low-code tools that cannot use <script type="module">: one IIFE that
// registers the elements and defines the global `wdVideo` (the Wilddog-style
// facade). Apps written for Wilddog alias it: `var wilddogVideo = wdVideo;`
import './elements/index.js';
import { wdVideo } from './signaling/index.js';

export default wdVideo;
