// Labels of <wd-call-history>, in English and Simplified Chinese. They load
// with its lazy chunk (panel.ts); override them like any other label
// (`strings` attribute, setStrings()).

export const historyEn = {
  history: 'Recent calls',
  historyEmpty: 'No calls yet',
  historyUnavailable: 'Call history is unavailable',
  historyLoading: 'Loading calls…',
  callBack: 'Call back',
  callBackUid: 'Call back {uid}',
  markAllSeen: 'Mark all as seen',
  missed: 'Missed',
  incomingFromUid: 'From {uid}',
  outgoingToUid: 'To {uid}',
  outcomeAnswered: 'Answered, {duration}',
  outcomeMissed: 'Missed call',
  outcomeRejected: 'Declined',
  outcomeBusy: 'Busy',
  outcomeUnavailable: 'Not available',
  outcomeTimeout: 'No answer',
  outcomeCancelled: 'Cancelled',
  outcomeFailed: 'Could not connect',
};

export type WdHistoryStrings = typeof historyEn;

export const historyZhCN: WdHistoryStrings = {
  history: '最近通话',
  historyEmpty: '暂无通话记录',
  historyUnavailable: '无法获取通话记录',
  historyLoading: '正在加载通话记录…',
  callBack: '回拨',
  callBackUid: '回拨 {uid}',
  markAllSeen: '全部标为已读',
  missed: '未接',
  incomingFromUid: '来自 {uid}',
  outgoingToUid: '呼叫 {uid}',
  outcomeAnswered: '已接通，{duration}',
  outcomeMissed: '未接来电',
  outcomeRejected: '已拒绝',
  outcomeBusy: '忙线',
  outcomeUnavailable: '对方不在线',
  outcomeTimeout: '无人接听',
  outcomeCancelled: '已取消',
  outcomeFailed: '无法建立连接',
};
