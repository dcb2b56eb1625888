import Foundation
import Testing

@testable import LineEditing

@Suite("Interrupt flag", .serialized)
struct InterruptFlagTests {
  /// The SIGINT action in force now.
  private func currentAction() -> sigaction {
    var action = sigaction()
    sigaction(SIGINT, nil, &action)
    return action
  }

  @Test("a SIGINT sets the latch; clear and take reset it; the process survives")
  func latch() throws {
    let saved = currentAction()
    var restore = saved
    defer { sigaction(SIGINT, &restore, nil) }
    // The test runner blocks SIGINT on its threads; let this thread take it while testing.
    var onlySIGINT = sigset_t()
    sigemptyset(&onlySIGINT)
    sigaddset(&onlySIGINT, SIGINT)
    var previousMask = sigset_t()
    pthread_sigmask(SIG_UNBLOCK, &onlySIGINT, &previousMask)
    defer { pthread_sigmask(SIG_SETMASK, &previousMask, nil) }

    #expect(InterruptFlag.install())
    try #require(InterruptFlag.isInstalled)
    #expect(currentAction().sa_flags & Int32(SA_RESTART) != 0)
    InterruptFlag.clear()
    #expect(!InterruptFlag.isSet)

    raise(SIGINT)  // delivered to this thread before raise returns
    #expect(InterruptFlag.isSet)
    #expect(InterruptFlag.isSet)  // reading does not reset it
    InterruptFlag.clear()
    #expect(!InterruptFlag.isSet)

    raise(SIGINT)
    #expect(InterruptFlag.take())
    #expect(!InterruptFlag.take())
    #expect(!InterruptFlag.isSet)
  }

  @Test("uninstall puts back the default action")
  func uninstall() throws {
    let saved = currentAction()
    var restore = saved
    defer { sigaction(SIGINT, &restore, nil) }

    #expect(InterruptFlag.install())
    #expect(InterruptFlag.uninstall())
    #expect(!InterruptFlag.isInstalled)
    let handler = unsafeBitCast(currentAction().__sigaction_handler, to: Int.self)
    #expect(handler == 0)  // SIG_DFL
  }
}
