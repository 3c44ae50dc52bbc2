// What to do about each device error (`errorDevice_<code without device_>`),
// in English and Simplified Chinese. A chunk of its own, loaded when an error
// is to be shown (device-error-text.ts); overridable like every label.

export const deviceErrorsEn = {
  errorDevice_permission_denied: 'Camera or microphone access is blocked. Allow it in the browser’s address bar (the camera icon), then try again.',
  errorDevice_not_found: 'No camera or microphone found. Connect one or choose another, then try again.',
  errorDevice_busy: 'The camera or microphone is in use by another app or tab. Close that, then try again.',
  errorDevice_overconstrained: 'This camera cannot give the picture asked for. Choose another camera.',
  errorDevice_unavailable: 'The camera or microphone could not be started. Check that it is connected, then try again.',
  errorDevice_unsupported: 'This page cannot use a camera or microphone: it must be opened over https.',
};

export type WdDeviceErrorStrings = typeof deviceErrorsEn;

export const deviceErrorsZhCN: WdDeviceErrorStrings = {
  errorDevice_permission_denied: '摄像头或麦克风的访问被阻止。请在浏览器地址栏（摄像头图标）中允许访问，然后重试。',
  errorDevice_not_found: '未找到摄像头或麦克风。请连接一个或选择其他设备，然后重试。',
  errorDevice_busy: '摄像头或麦克风正被其他应用或标签页占用。请关闭后重试。',
  errorDevice_overconstrained: '该摄像头无法提供所需的画面。请选择其他摄像头。',
  errorDevice_unavailable: '无法启动摄像头或麦克风。请检查设备是否已连接，然后重试。',
  errorDevice_unsupported: '此页面无法使用摄像头或麦克风：需要通过 https 打开。',
};
