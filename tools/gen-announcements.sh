#!/bin/sh
# Writes the announcements the desk plays into calls (resources/audio/): the abusive-caller
# warning and the recording notice of an outbound call, spoken by espeak-ng's Korean voice.
#
# 16 kHz mono 16-bit PCM: telephone speech needs no more (the PBX side is G.711 at 8 kHz), and
# the files stay small in the desk's bundle. Normalised to -3 dBFS (headroom for the codecs),
# trimmed of silence at both ends, so that the first sample is speech: the desk measures "warning
# pressed → first audio at the citizen" from the moment it starts a clip.
#
# A city may replace either file with a studio recording of the same name (see resources/README.md);
# run this again only to go back to the generated voice. Needs espeak-ng and sox (Debian packages).
set -eu

cd "$(dirname "$0")/.."
out=resources/audio
mkdir -p "$out"
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "gen-announcements: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# $1: file name, $2: text. 150 words a minute: slower than espeak's default, for callers on a
# noisy line and older callers.
speak() {
  espeak-ng -v ko -s 150 -w "$tmp/raw.wav" "$2"
  # -R: repeatable dither, so the same text gives the same bytes. silence: from the first sample
  # above -50 dBFS; reversed, the same for the end.
  sox -R "$tmp/raw.wav" -r 16000 -c 1 -b 16 "$out/$1" rate -v 16k norm -3 \
    silence 1 0 -50d reverse silence 1 0 -50d reverse
  echo "$out/$1: $(soxi -D "$out/$1") s"
}

speak abuse-warning.ko.wav '상담원에 대한 폭언·욕설이 계속되면 통화가 종료될 수 있으며, 통화 내용은 녹음되고 있습니다.'
speak recording-notice.ko.wav '안녕하십니까, 포항시 빨리콜입니다. 상담 품질 향상과 상담원 보호를 위해 통화 내용이 녹음됩니다.'
