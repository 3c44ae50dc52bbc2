// The video code of a Wilddog Video 2.x one-to-one app (the shape of Wilddog's
// web quickstart), as written for wilddog-video-call.js: a classic script,
// global functions, the `wilddogVideo` global. The only change for wd-video is
// initialize()'s arguments. The app's Wilddog Auth/Sync user list is left out:
// invite(uid) is called directly. classic.html and module.html load it after
// the classic-script build and the ES module build. test/e2e/wilddog-app.test.ts
// drives it in two browsers.
var localEl = document.getElementById('local');
var remoteEl = document.getElementById('remote');
var videoInstance = null;
var localStream = null;
var currentConversation = null;
var incomingConversation = null;
var remoteStream = null;
// What happened, shown on the page (and read by the test).
var appLog = [];
var note = function (what) {
  // Stats arrive every 2 s: note each kind once.
  if (what.indexOf('stats') >= 0 && appLog.indexOf(what) >= 0) return;
  appLog.push(what);
  document.getElementById('log').textContent = appLog.join('\n');
};

var onInviteCb = function (conversation) {
  incomingConversation = conversation;
  note('called by ' + conversation.remoteUid + ' data ' + conversation.data);
};

var login = function (uid) {
  // Wilddog: wilddogVideo.initialize({'appId': videoAppId, 'token': user.getToken()});
  wilddogVideo.initialize({ authUrl: '/v1/session', anonymous: { uid: uid } });
  videoInstance = wilddogVideo.call();
  wilddogVideo.createLocalStream({ captureVideo: true, captureAudio: true, dimension: '480p', maxFPS: 15 })
    .then(function (wdStream) {
      localStream = wdStream;
      localStream.attach(localEl);
      note('local stream');
    })
    .catch(function (err) { note('error ' + err); });
  videoInstance.on('called', onInviteCb);
  videoInstance.on('token_error', function () { note('token_error'); });
  // Not in the Wilddog app: tells the test when signaling is up, and why not.
  videoInstance.on('status', function (s) { note(s); });
  videoInstance.on('error', function (e) { note('error ' + e.code + ' ' + e.message + (e.cause ? ': ' + e.cause.code + ' ' + e.cause.message : '')); });
};

var accept = function () {
  incomingConversation.accept(localStream).then(conversationStarted);
};

var reject = function () {
  incomingConversation.reject();
};

var conversationStarted = function (conversation) {
  conversation.on('stream_received', function (stream) {
    remoteStream = stream;
    remoteStream.attach(remoteEl);
    note('stream_received');
  });
  conversation.on('closed', function () {
    if (remoteStream) remoteStream.detach(remoteEl);
    currentConversation = null;
    note('closed');
  });
  conversation.on('local_stats', function (statistics) { note('local_stats ' + (statistics.width > 0)); });
  conversation.on('remote_stats', function (statistics) { note('remote_stats ' + (statistics.width > 0)); });
  currentConversation = conversation;
};

var invite = function (uid) {
  currentConversation = videoInstance.call(uid, localStream, 'test');
  conversationStarted(currentConversation);
  currentConversation.on('response', function (callstatus) {
    note('response ' + callstatus);
  });
};

var disconnect = function () {
  if (currentConversation) {
    remoteStream.detach(remoteEl);
    currentConversation.close();
    currentConversation = null;
  }
};
