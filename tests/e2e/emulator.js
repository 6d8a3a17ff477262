#!/usr/bin/env node
// Starts the telegram-test-api Bot API emulator on a loopback port, patched where it
// disagrees with what python-telegram-bot 22 expects from the real Bot API.
//
// Usage: node emulator.js [PORT]   (0 or nothing: a free port)
// Prints one line `READY <port>` on stdout once it listens; stops on SIGTERM/SIGINT.
//
// Patches (each one a place where PTB 22 would reject the emulator's answer):
//   1. getMe lacks `is_bot` (PTB's User requires it).
//   2. sent messages carry `date` in milliseconds (PTB expects Unix seconds), and echo the
//      raw request body (e.g. `link_preview_options` as a JSON string); we return a clean
//      Message instead.
//   3. callback queries lack `chat_instance` (required by PTB's CallbackQuery).
//   4. editMessageText / editMessageReplyMarkup answer `result: null`; we return the edited
//      message (or `true` when it is unknown), as the real API does.
// Also: answers to callback queries are recorded (POST /getCallbackAnswers {token});
// methods PTB calls that the emulator lacks (setMyCommands, sendChatAction, ...)
// answer 500 there; we answer them `true`. setWebhook/answerCallbackQuery answer `true`,
// and webhook deliveries carry the `X-Telegram-Bot-Api-Secret-Token` header and never
// crash the process when the bot refuses them.
// The emulator's getUpdates ignores `timeout`, so bots must poll with a short interval.
// Added (the emulator has neither):
//   5. sendPhoto: stored like a sent message (photo URL, caption, keyboard); a photo URL on
//      a `.invalid` host (RFC 2606: never resolves) is refused with the error Telegram
//      gives for a URL it cannot fetch, so tests can exercise the bot's fallback.
//   6. inline queries: POST /sendInlineQuery {botToken, from, query, offset?} queues an
//      `inline_query` update; answerInlineQuery is recorded (POST /getInlineAnswers {token}).

'use strict';

const http = require('http');
const axios = require('axios');
const express = require('express');
const TelegramServer = require('telegram-test-api');

const BOT = { id: 666, is_bot: true, first_name: 'Recbot Test', username: 'TestNameBot' };

function seconds(millis) {
  return Math.floor(millis / 1000);
}

// A Bot API Message object for a message the bot sent (stored entry -> wire format).
function botMessage(entry) {
  const body = entry.message;
  const message = {
    message_id: entry.messageId,
    date: seconds(entry.time),
    chat: { id: Number(body.chat_id), type: Number(body.chat_id) < 0 ? 'group' : 'private' },
    from: BOT,
  };
  if (body.photo) {
    message.photo = [{ file_id: `photo-${entry.messageId}`, file_unique_id: `p${entry.messageId}`, width: 500, height: 750 }];
    if (body.caption) message.caption = body.caption;
  } else {
    message.text = body.text;
  }
  if (body.reply_markup && 'inline_keyboard' in body.reply_markup) {
    message.reply_markup = body.reply_markup;
  }
  return message;
}

function findBotMessage(server, body) {
  return server.storage.botMessages.find((u) => (
    String(u.messageId) === String(body.message_id)
    && String(u.message.chat_id) === String(body.chat_id)));
}

function patchServer() {
  // Patch 2: the result of sendMessage becomes a clean Message with `date` in seconds.
  const addBotMessage = TelegramServer.prototype.addBotMessage;
  TelegramServer.prototype.addBotMessage = function patchedAddBotMessage(rawMessage, token) {
    const result = addBotMessage.call(this, rawMessage, token);
    const entry = this.storage.botMessages[this.storage.botMessages.length - 1];
    return entry ? botMessage(entry) : { ...result, date: seconds(result.date) };
  };

  // Patch 3: callback queries get `chat_instance` (and a `message` with seconds dates).
  const formatUpdate = TelegramServer.formatUpdate;
  TelegramServer.formatUpdate = function patchedFormatUpdate(update) {
    const formatted = formatUpdate(update);
    if (formatted.callback_query) {
      const query = formatted.callback_query;
      const chatId = query.message && query.message.chat ? query.message.chat.id : query.from.id;
      query.chat_instance = update.callbackQuery.chat_instance || String(chatId);
    }
    if ('inlineQuery' in update) {
      return { update_id: update.updateId, inline_query: update.inlineQuery };
    }
    if (formatted.message && formatted.message.date > 1e11) {
      formatted.message.date = seconds(formatted.message.date);
    }
    return formatted;
  };

  // Webhook deliveries: send the secret header and never leave a rejected promise behind
  // (Node would exit on it).
  TelegramServer.prototype.addUserUpdate = async function patchedAddUserUpdate(update) {
    // The next update's id is taken before this one is delivered: the original increments
    // after awaiting the webhook, so concurrent chats got the same update_id (which the
    // bot's intake rightly drops as a resend).
    this.updateId += 1;
    const webhook = this.webhooks[update.botToken];
    if (webhook) {
      const headers = {};
      if (webhook.secret_token) {
        headers['X-Telegram-Bot-Api-Secret-Token'] = webhook.secret_token;
      }
      try {
        await axios({
          url: webhook.url,
          method: 'POST',
          headers,
          data: TelegramServer.formatUpdate(update),
          validateStatus: () => true,
        });
      } catch (err) {
        process.stderr.write(`webhook delivery failed: ${err.message}\n`);
      }
    } else {
      this.storage.userMessages.push(update);
    }
  };
}

function buildFront(server) {
  const front = express();
  front.use(express.json({ limit: '5mb' }));
  front.use(express.urlencoded({ extended: true }));
  const ok = (result) => (req, res) => res.json({ ok: true, result });

  // Patch 1: a complete bot User.
  front.all('/bot:token/getMe', ok(BOT));

  // Patch 4: edits answer with the edited message, as Telegram does.
  front.all('/bot:token/editMessageText', (req, res) => {
    server.editMessageText(req.body);
    const entry = findBotMessage(server, req.body);
    res.json({ ok: true, result: entry ? botMessage(entry) : true });
  });
  front.all('/bot:token/editMessageReplyMarkup', (req, res) => {
    server.editMessageReplyMarkup(req.body);
    const entry = findBotMessage(server, req.body);
    res.json({ ok: true, result: entry ? botMessage(entry) : true });
  });

  // Answers to callback queries are recorded so tests can check every press was
  // answered, and with which toast: POST /getCallbackAnswers {token}.
  const answers = [];
  front.all('/bot:token/answerCallbackQuery', (req, res) => {
    answers.push({
      token: req.params.token,
      callback_query_id: String(req.body.callback_query_id),
      text: req.body.text || null,
    });
    res.json({ ok: true, result: true });
  });
  front.post('/getCallbackAnswers', (req, res) => {
    res.json({ ok: true, result: answers.filter((a) => a.token === req.body.token) });
  });
  // Patch 5: photos. Telegram fetches the URL itself; one on a `.invalid` host cannot be.
  front.all('/bot:token/sendPhoto', (req, res) => {
    const photo = String(req.body.photo || '');
    let host = '';
    try {
      host = new URL(photo).hostname;
    } catch (err) {
      host = '';
    }
    if (!host || host.endsWith('.invalid')) {
      res.status(400).json({ ok: false, error_code: 400, description: 'Bad Request: failed to get HTTP URL content' });
      return;
    }
    res.json({ ok: true, result: server.addBotMessage({ ...req.body, photo }, req.params.token) });
  });

  // Patch 6: inline queries in, their answers recorded.
  let inlineId = 1;
  front.post('/sendInlineQuery', async (req, res) => {
    const inlineQuery = {
      id: String(inlineId++),
      from: req.body.from,
      query: req.body.query || '',
      offset: req.body.offset || '',
      chat_type: req.body.chat_type || 'sender',
    };
    await server.addUserUpdate({
      ...server.getCommonFields(req.body.botToken), inlineQuery,
    });
    res.json({ ok: true, result: inlineQuery.id });
  });
  const inlineAnswers = [];
  front.all('/bot:token/answerInlineQuery', (req, res) => {
    const parse = (value) => (typeof value === 'string' ? JSON.parse(value) : value);
    inlineAnswers.push({
      token: req.params.token,
      inline_query_id: String(req.body.inline_query_id),
      results: parse(req.body.results) || [],
      cache_time: req.body.cache_time === undefined ? null : Number(req.body.cache_time),
      is_personal: String(req.body.is_personal) === 'true',
      button: parse(req.body.button) || null,
    });
    res.json({ ok: true, result: true });
  });
  front.post('/getInlineAnswers', (req, res) => {
    res.json({ ok: true, result: inlineAnswers.filter((a) => a.token === req.body.token) });
  });

  front.all('/bot:token/setWebhook', (req, res) => {
    const webhook = req.body.url ? req.body : req.query;
    if (!webhook.url) {
      res.status(400).json({ ok: false, error_code: 400, description: 'Bad Request: url is empty' });
      return;
    }
    server.setWebhook(webhook, req.params.token);
    res.json({ ok: true, result: true });
  });
  front.all('/bot:token/getWebhookInfo', (req, res) => {
    const webhook = server.webhooks[req.params.token];
    res.json({
      ok: true,
      result: { url: webhook ? webhook.url : '', has_custom_certificate: false, pending_update_count: 0 },
    });
  });
  for (const method of ['setMyCommands', 'deleteMyCommands', 'sendChatAction', 'setMyDescription',
    'setMyShortDescription', 'setChatMenuButton', 'close', 'logOut']) {
    front.all(`/bot:token/${method}`, ok(true));
  }
  front.all('/bot:token/getMyCommands', ok([]));

  // Everything else (client API, sendMessage, getUpdates, ...) is the emulator's own.
  front.use(server.webServer);
  return front;
}

async function main() {
  const port = Number(process.argv[2] || 0);
  patchServer();
  // Keep messages for an hour: the emulator's default (60 s) could drop a bench's replies.
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 3600 });
  const httpServer = http.createServer(buildFront(server));
  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '127.0.0.1', resolve);
  });
  const actual = httpServer.address().port;
  server.config.port = actual;
  server.config.apiURL = `http://127.0.0.1:${actual}`;
  process.stdout.write(`READY ${actual}\n`);

  const stop = () => {
    httpServer.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`unhandled rejection: ${err && err.message}\n`);
  });
}

main().catch((err) => {
  process.stderr.write(`emulator failed to start: ${err.stack || err}\n`);
  process.exit(1);
});
