package io.tombscope.agent.it;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jctools.maps.NonBlockingHashMap;

/**
 * Builds a JCTools map before any agent runs, leaves dead keys in it, then attaches the agent to
 * itself ({@code args[0]}: the agent jar, {@code args[1]}: its options, {@code args[2]}: the
 * recording directory) and churns the map until the recording has a JCTools site: the map, which
 * the agent never saw constructed, is tracked from a resize on. After a few idle recording
 * intervals it prints the map's dead keys as JCTools counts them ({@code _slots − _size}).
 */
public final class JctoolsAttachProgram {
  private static final long IDLE_MILLIS = 1_500;
  private static final long GIVE_UP_MILLIS = 60_000;

  public static void main(String[] args) throws Exception {
    NonBlockingHashMap<Integer, Integer> map = new NonBlockingHashMap<>();
    for (int i = 0; i < 1_000; i++) {
      map.put(i, i);
    }
    for (int i = 0; i < 500; i++) {
      map.remove(i);
    }
    VirtualMachine vm = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
    try {
      vm.loadAgent(args[0], args[1]);
    } finally {
      vm.detach();
    }
    Path sites = Path.of(args[2], "sites.jsonl");
    long giveUp = System.currentTimeMillis() + GIVE_UP_MILLIS;
    int next = 1_000;
    while (System.currentTimeMillis() < giveUp
        && !(Files.exists(sites) && Files.readString(sites).contains("\"jctools\""))) {
      for (int i = 0; i < 1_000; i++, next++) {
        map.put(next, next);
        map.remove(next - 500);
      }
      Thread.sleep(10);
    }
    Thread.sleep(IDLE_MILLIS);
    JctoolsProgram.Watched watched = new JctoolsProgram.Watched("attached", map);
    long idleUntil = System.currentTimeMillis();
    System.out.println(
        "ATTACHED "
            + idleUntil
            + " tombstones="
            + watched.deadKeys()
            + ",size="
            + map.size()
            + ",slots="
            + watched.length(watched.top()));
  }
}
