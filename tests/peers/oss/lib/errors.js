'use strict';
// OSS-style errors: OssError carries status, code, message and extra XML fields; send()
// writes it as <Error><Code/><Message/><RequestId/><HostId/>...</Error>. No secrets ever go
// into a message.

const { doc, el } = require('./xml');

class OssError extends Error {
  constructor(status, code, message, extra) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra || {};
  }
}

function withEc(err, ec) {
  err.ec = ec;
  return err;
}

const E = {
  accessDenied: (msg, extra) => new OssError(403, 'AccessDenied', msg || 'AccessDenied', extra),
  signatureMismatch: (msg, extra) =>
    new OssError(403, 'SignatureDoesNotMatch', msg || 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', extra),
  invalidAccessKeyId: ak =>
    new OssError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', { OSSAccessKeyId: ak }),
  // STS credentials (the x-oss-ec codes OSS documents for them).
  invalidSecurityToken: () =>
    withEc(new OssError(403, 'InvalidSecurityToken', 'The security token you provided is invalid.'), '0002-00000008'),
  // OSS echoes the expired token in the body, so clients must keep error bodies out of logs.
  securityTokenExpired: token =>
    withEc(new OssError(403, 'SecurityTokenExpired', 'The security token you provided has expired.', { SecurityToken: token }), '0002-00000007'),
  timeSkewed: (reqTime, serverTime) =>
    new OssError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      RequestTime: reqTime,
      ServerTime: serverTime,
    }),
  noSuchBucket: b => new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.', { BucketName: b }),
  noSuchKey: k => new OssError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: k }),
  noSuchUpload: id =>
    new OssError(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: id }),
  bucketExists: b =>
    new OssError(409, 'BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', { BucketName: b }),
  bucketNotEmpty: b =>
    new OssError(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty.', { BucketName: b }),
  invalidBucketName: b => new OssError(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: b }),
  invalidObjectName: msg => new OssError(400, 'InvalidObjectName', msg || 'The specified object is not valid.'),
  invalidArgument: (msg, name, value) =>
    new OssError(400, 'InvalidArgument', msg, name ? { ArgumentName: name, ArgumentValue: String(value) } : undefined),
  invalidDigest: v => new OssError(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.', { 'Content-MD5': v }),
  badDigest: (expected, calculated) =>
    new OssError(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', {
      ExpectedDigest: expected,
      CalculatedDigest: calculated,
    }),
  malformedXml: msg => new OssError(400, 'MalformedXML', msg || 'The XML you provided was not well-formed or did not validate against our published schema.'),
  entityTooSmall: () => new OssError(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size.'),
  entityTooLarge: msg => new OssError(400, 'EntityTooLarge', msg || 'Your proposed upload exceeds the maximum allowed size.'),
  invalidPart: msg =>
    new OssError(400, 'InvalidPart', msg || 'One or more of the specified parts could not be found or the specified entity tag might not have matched the part\'s entity tag.'),
  invalidPartOrder: () =>
    new OssError(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts list must specified in order by part number.'),
  invalidRange: () => new OssError(416, 'InvalidRange', 'The requested range cannot be satisfied'),
  missingContentLength: () => new OssError(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.'),
  notImplemented: what => new OssError(501, 'NotImplemented', `${what} is not implemented by the cpsync OSS test server.`),
  methodNotAllowed: () => new OssError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.'),
  fileAlreadyExists: () => new OssError(409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.'),
  preconditionFailed: () => new OssError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.'),
  incompleteBody: () => new OssError(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.'),
  internal: () => new OssError(500, 'InternalError', 'We encountered an internal error. Please try again.'),
};

function errorBody(err, requestId, hostId) {
  const extra = Object.entries(err.extra || {}).map(([k, v]) => el(k, v));
  return doc('Error', [el('Code', err.code), el('Message', err.message), el('RequestId', requestId), el('HostId', hostId), ...extra]);
}

module.exports = { OssError, E, errorBody };
