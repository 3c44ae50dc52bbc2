// Labels of the device menu, picture-in-picture and device errors, in English
// and Simplified Chinese; merged into the tables of strings.ts. `{kind}`,
// `{label}` and `{n}` are filled in when used. A `device_*` error code names
// its label: `errorDevice_permission_denied` etc. (device-error-text.ts).

export const devicesEn = {
  devices: 'Devices',
  deviceCamera: 'Camera',
  deviceMicrophone: 'Microphone',
  deviceSpeaker: 'Speaker',
  deviceUnnamed: '{kind} {n}',
  deviceDefault: 'the system default',
  deviceLost: '{kind} disconnected. Now using {label}.',
  deviceNoneLeft: '{kind} disconnected. No other one found.',
  devicePlugged: 'Now using {label}.',
  pictureInPicture: 'Picture in picture',
  errorDevice_permission_denied: 'Camera or microphone access is blocked. Allow it in the browser’s address bar (the camera icon), then try again.',
  errorDevice_not_found: 'No camera or microphone found. Connect one or choose another, then try again.',
  errorDevice_busy: 'The camera or microphone is in use by another app or tab. Close that, then try again.',
  errorDevice_overconstrained: 'This camera cannot give the picture asked for. Choose another camera.',
  errorDevice_unavailable: 'The camera or microphone could not be started. Check that it is connected, then try again.',
  errorDevice_unsupported: 'This page cannot use a camera or microphone: it must be opened over https.',
};

export type WdDeviceStrings = typeof devicesEn;

export const devicesZhCN: WdDeviceStrings = {
  devices: '设备',
  deviceCamera: '摄像头',
  deviceMicrophone: '麦克风',
  deviceSpeaker: '扬声器',
  deviceUnnamed: '{kind} {n}',
  deviceDefault: '系统默认设备',
  deviceLost: '{kind}已断开，正在使用 {label}。',
  deviceNoneLeft: '{kind}已断开，没有找到其他设备。',
  devicePlugged: '正在使用 {label}。',
  pictureInPicture: '画中画',
  errorDevice_permission_denied: '摄像头或麦克风的访问被阻止。请在浏览器地址栏（摄像头图标）中允许访问，然后重试。',
  errorDevice_not_found: '未找到摄像头或麦克风。请连接一个或选择其他设备，然后重试。',
  errorDevice_busy: '摄像头或麦克风正被其他应用或标签页占用。请关闭后重试。',
  errorDevice_overconstrained: '该摄像头无法提供所需的画面。请选择其他摄像头。',
  errorDevice_unavailable: '无法启动摄像头或麦克风。请检查设备是否已连接，然后重试。',
  errorDevice_unsupported: '此页面无法使用摄像头或麦克风：需要通过 https 打开。',
};
