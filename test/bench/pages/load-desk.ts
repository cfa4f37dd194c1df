// A desk as the gateway bench needs it: the project's own phone (renderer/phone/sip-phone.ts, the
// same JsSIP set-up and peer-connection settings as the agent desk), answering every call at once
// and playing it out, any number at a time. The real desk takes one call at a time; the bench
// measures the gateway, not an agent's pace.
import type { SipAccount } from '../../../shared/auth';
import { startPhone } from '../../../renderer/phone/sip-phone';

interface LoadDesk {
  registered: boolean;
  answered: number;
  connected: number;
  ended: number;
}

const w = window as unknown as { loadDesk: LoadDesk; startLoadDesk(account: SipAccount): void };
w.loadDesk = { registered: false, answered: 0, connected: 0, ended: 0 };
w.startLoadDesk = (account) => {
  const desk = w.loadDesk;
  startPhone(
    account,
    {
      onRegistration: (s) => void (desk.registered = s.state === 'registered'),
      onSignalling: () => undefined,
      onIncoming(call) {
        call.onRemoteStream((stream) => {
          const audio = new Audio();
          audio.srcObject = stream;
          void audio.play();
        });
        call.onState((state) => {
          if (state === 'connected') desk.connected++;
          if (state === 'ended') desk.ended++;
        });
        desk.answered++;
        call.answer();
        return true;
      },
      onTransferred: () => undefined,
    },
    { microphone: () => '' },
  );
};
