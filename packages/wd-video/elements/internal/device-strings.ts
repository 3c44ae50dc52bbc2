// Labels of the device menu, picture-in-picture and device notices, in English
// and Simplified Chinese; merged into the tables of strings.ts. `{kind}`,
// `{label}` and `{n}` are filled in when used. The advice for device errors is
// in device-error-strings.ts (loaded when an error shows).

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
};
