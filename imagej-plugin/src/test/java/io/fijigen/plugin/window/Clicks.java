package io.fijigen.plugin.window;

import java.awt.Button;
import java.awt.EventQueue;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.event.InputEvent;

/** A user's mouse click, by the AWT robot, on a button where it shows on the screen. */
final class Clicks {
    private Clicks() {}

    /** Clicks the middle of {@code button} (a disabled button ignores it, as it ignores a user). */
    static void click(Robot robot, Button button) throws Exception {
        Rectangle[] at = new Rectangle[1];
        EventQueue.invokeAndWait(() -> at[0] = new Rectangle(button.getLocationOnScreen(), button.getSize()));
        robot.mouseMove((int) at[0].getCenterX(), (int) at[0].getCenterY());
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
    }
}
